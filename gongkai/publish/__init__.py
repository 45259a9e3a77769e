"""Stage 11, publish: ``deploy`` to object storage, the province's index of counties.

Rule: imports the stages below it. Reads an output folder, talks to the storage, writes
the province's output.
"""
