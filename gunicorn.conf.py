"""gunicorn, the portal's production server: `gunicorn -c gunicorn.conf.py`.

Everything can be overridden from the environment (systemd's EnvironmentFile, see
docs/deploiement.md) or on the command line.
"""

import multiprocessing
import os

wsgi_app = "petr_portal.wsgi:application"

# GUNICORN_BIND wins ("unix:/run/petr-portal/gunicorn.sock", "0.0.0.0:8000"...);
# otherwise the loopback interface on PORT, behind nginx on the same machine.
bind = [os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"]

# Synchronous workers: the pages are short database reads. 2 × cores + 1 is gunicorn's
# own rule of thumb; lower it on a small machine that also runs PostgreSQL.
workers = int(
    os.environ.get("GUNICORN_WORKERS")
    or os.environ.get("WEB_CONCURRENCY")
    or multiprocessing.cpu_count() * 2 + 1
)
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then, so that a slow leak never grows for long. Not too often:
# a new worker costs about half a second of CPU (imports, templates, its empty local
# cache). At 2,000 the benchmark's cached pages (2,500 requests/s) spent a third of the
# CPU on restarts and their p99 rose from 14 ms to 780 ms (bench/RESULTS.md).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10

# Access and error logs on standard output and error: journald (systemd) keeps them.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The usual combined format, plus the time spent on the request in milliseconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

# Only nginx may say that a request came over HTTPS (X-Forwarded-Proto): the addresses
# it connects from. Django trusts the header only with DJANGO_BEHIND_PROXY=1.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The heartbeat files in memory rather than on a disk that may block.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# gunicorn's control socket lives in $HOME by default and would be shared by every
# instance on the machine (tests, benchmark, service): off unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

proc_name = "petr-portal"
