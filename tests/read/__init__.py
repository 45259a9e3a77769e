"""Tests of gongkai/read/."""
