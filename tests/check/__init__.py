"""Tests of gongkai/check/."""
