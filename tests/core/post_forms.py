"""Run by tests/core/test_rate_limit_shared.py in processes of their own (as gunicorn
workers are): post a public form N times from one client address, print the statuses.

    DATABASE_URL=... python -m tests.core.post_forms 6
"""

import json
import os
import sys

import django


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petr_portal.settings")
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        client.post("/suivre/", {"email": "robot@example.org", "site_internet": "x"}).status_code
        for _ in range(int(sys.argv[1]))
    ]
    print(json.dumps(statuses))


if __name__ == "__main__":
    main()
