"""Tests of gongkai/publish/."""
