"""Stage 8, plan: every output, from pages by kind to feeds, sitemaps, search and data.

Rule: imports the stages below it. No I/O apart from reading templates to key pages.
"""
