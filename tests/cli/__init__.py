"""Tests of gongkai/cli/."""
