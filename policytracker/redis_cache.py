"""Django's Redis cache, keeping one client per connection pool instead of making one for
each call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` around the pool on every
cache call; with redis-py 8 that costs about as much as the round trip itself, and a page
answered from the cache makes one or two calls. A client is safe to share between threads
(each command takes a connection from the pool), so each pool's is made once and kept.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
