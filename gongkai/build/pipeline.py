"""The build, top to bottom: replay the last build when none of its inputs changed, else
load and validate everything, plan every output, make what changed and swap it in.

Nothing is written unless the whole site loaded and rendered without errors (and,
with ``strict``, without warnings). The build proper is in ``assemble``; it is imported
only when needed, so that a build with nothing to do does not pay for importing the
validation models, Markdown and Jinja.
"""

from __future__ import annotations

import logging
import time

from gongkai.build import replay
from gongkai.build.options import Options, Result
from gongkai.build.write import output_lock, recover
from gongkai.core.cache import Cache, NoCache, open_cache, still

log = logging.getLogger(__name__)


def build(options: Options) -> Result:
    """Load, validate, render and (unless checking) write a site."""
    started = time.perf_counter()
    result = Result()
    cache = open_cache(options.site) if options.cache else NoCache()
    try:
        signature = None
        if options.cache and options.write and options.seal is None:
            signature = replay.take(options.site, options.out, options.today, options.strict)
        if signature is None or not _replayed(signature, options, cache, result):
            from gongkai.build.assemble import assemble  # heavy: see the module's docstring

            assemble(options, result, cache, signature)
    finally:
        cache.close()
    result.seconds = time.perf_counter() - started
    return result


def _replayed(signature: replay.Signature, options: Options, cache: Cache,
              result: Result) -> bool:
    """Repeat the last build's report when nothing it was made from has changed since."""
    done = replay.recorded(cache, options.out, signature, options.today)
    if done is None:  # the usual case after an edit: no need to take the lock twice
        return False
    with output_lock(options.out, options.on_wait):
        recover(options.out)
        previous = replay.recorded_outputs(cache, options.out)
        if not previous or not all(still(options.out / path, record)
                                   for path, record in previous.items()):
            return False
    result.report.extend(done.problems)
    result.pages, result.files = done.pages, done.files
    result.replayed = True
    return True
