"""Compiled theme templates kept across rebuilds of a long-lived process.

``mkdocs serve`` makes a new Jinja environment on every rebuild and compiles
Material's templates and ours again (about a sixth of a rebuild). This cache
keeps each template's compiled code in memory, keyed by its name and file,
the environment's syntax settings and the template's source checksum: an
edited template (or other settings) compiles anew, as Jinja's own bytecode
caches do. A one-shot build starts with it empty. Plain Python over Jinja, no
engine import.
"""

from __future__ import annotations

import hashlib

from jinja2.bccache import Bucket, BytecodeCache

# Environment settings the generated code depends on.
_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
             "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
             "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized", "is_async")


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self, limit: int = 1024) -> None:
        self.limit = limit
        self.store: dict[str, bytes] = {}

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        escape = environment.autoescape(name) if callable(environment.autoescape) else environment.autoescape
        settings = repr([getattr(environment, s, None) for s in _SETTINGS]
                        + [bool(escape), sorted(environment.extensions), environment.undefined.__qualname__])
        key = self.get_cache_key(name, filename) + hashlib.sha1(settings.encode()).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if len(self.store) >= self.limit:
            self.store.clear()
        self.store[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.store.clear()


CACHE = MemoryBytecodeCache()
