"""Stage 12, cli: arguments, exit codes and what each command prints.

Rule: the top stage, may import any other; heavy stages lazily, inside the command.
"""
