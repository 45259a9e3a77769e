"""The test suite: one folder per stage package of gongkai/, then hostile, e2e, quality."""
