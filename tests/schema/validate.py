#!/usr/bin/env python3
"""validate.py SCHEMA FILE [--unique KEY]: validates FILE (JSON, or YAML for
.yml/.yaml) against the JSON schema SCHEMA (Debian's python3-jsonschema,
python3-yaml) and prints each error with its path. --unique KEY: the
array's items must differ in KEY (Code Quality fingerprints). Exit 0 when
valid, 1 when not, 2 when a module is missing (the caller skips)."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate.py: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(2)


def load(path):
    with open(path, encoding="utf-8") as f:
        if path.endswith((".yml", ".yaml")):
            try:
                import yaml
            except ImportError:
                print("validate.py: python3-yaml is not installed", file=sys.stderr)
                sys.exit(2)
            return yaml.safe_load(f)
        return json.load(f)


def main():
    args = sys.argv[1:]
    unique = None
    if "--unique" in args:
        i = args.index("--unique")
        unique = args[i + 1]
        del args[i:i + 2]
    schema, doc = load(args[0]), load(args[1])
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
    for e in errors:
        print("%s: %s: %s" % (args[1], "/".join(map(str, e.path)) or "(root)", e.message))
    bad = len(errors)
    if unique and isinstance(doc, list):
        seen = {}
        for i, item in enumerate(doc):
            k = item.get(unique) if isinstance(item, dict) else None
            if k in seen:
                print("%s: %d: %s '%s' repeats item %d" % (args[1], i, unique, k, seen[k]))
                bad += 1
            seen.setdefault(k, i)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
