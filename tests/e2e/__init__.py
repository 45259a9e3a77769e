"""End to end: the golden site, the browser, the tutorial and a clerk's first hour."""
