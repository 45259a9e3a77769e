"""Tests of gongkai/build/."""
