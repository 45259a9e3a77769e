"""``gongkai deploy``: publishing a built site to S3-compatible object storage."""
