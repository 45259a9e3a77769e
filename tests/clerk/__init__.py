"""Tests of gongkai/clerk/."""
