"""The `lotsen` command.

Rule-check commands run without a database or a server, right after `pip install -e .`:

    lotsen personnummer check VALUE [--today YYYY-MM-DD]
    lotsen norm calculate --json            < household.json
    lotsen deadlines compute                < events.json

Every other command is a Django management command (`lotsen seed-demo`, `lotsen migrate`, ...).
"""

from __future__ import annotations

import importlib
import os
import sys

# command group -> "module:function" taking argv (after the group name) and returning an exit code
PURE_COMMANDS = {
    "personnummer": "lotsen.people.cli:main",
    "norm": "lotsen.assistance.cli:main",
    "deadlines": "lotsen.cases.cli:main",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in PURE_COMMANDS:
        module_name, func_name = PURE_COMMANDS[args[0]].split(":")
        func = getattr(importlib.import_module(module_name), func_name)
        return int(func(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    if args:
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["lotsen", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
