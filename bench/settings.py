"""The production settings (petr_portal.settings, read from the same environment), with
one difference: static files are collected into the benchmark's temporary folder
(BENCH_STATIC_ROOT), not into the checkout's staticfiles/ that the tests would then see."""

import os
from pathlib import Path

from petr_portal.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
