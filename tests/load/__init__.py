"""Tests of gongkai/load/."""
