"""Cache backends for what a page can be written without: the `{% cache %}` fragments and
the site search's results (settings.CACHES["template_fragments"], the alias Django's
`{% cache %}` tag uses). If the cache stops answering (Redis restarted, the network cut),
a read is a miss and a write is skipped, each logged: pages are written in full, as
without a cache, instead of failing. The page cache itself (core.cache) does the same."""

import logging

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


class FailSoftMixin:
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except Exception:
            logger.warning("Cache : lecture impossible, fragment écrit sans cache", exc_info=True)
            return default

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except Exception:
            logger.warning("Cache : écriture impossible", exc_info=True)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except Exception:
            logger.warning("Cache : écriture impossible", exc_info=True)
            return False


class FailSoftRedisCache(FailSoftMixin, RedisCache):
    pass


class FailSoftLocMemCache(FailSoftMixin, LocMemCache):
    pass
