"""Tests of gongkai/model/."""
