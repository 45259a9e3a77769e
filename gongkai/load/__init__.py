"""Stage 5, load: walking ``content/``, the parse cache, villages, offices, cross-file checks.

Rule: imports the stages below it. Reads the site folder and the cache.
"""
