"""`python -m studio nodes`: the catalog as a table or JSON."""

from __future__ import annotations

import json

from ..nodes import default_catalog


def nodes_command(args) -> int:
    catalog = default_catalog()
    if args.json:
        print(json.dumps(catalog.to_json(), indent=2))
        return 0
    for spec in catalog:
        ins = ", ".join(f"{p.name}:{p.type}{'*' if p.multiple else ''}" for p in spec.inputs) or "-"
        outs = ", ".join(f"{p.name}:{p.type}" for p in spec.outputs)
        print(f"{spec.id}  ({spec.title}) — {spec.help}")
        print(f"    in: {ins}   out: {outs}")
        for param in spec.params:
            info = param.to_json()
            extra = []
            if info.get("choices"):
                extra.append("/".join(info["choices"]))
            if info.get("min") is not None or info.get("max") is not None:
                extra.append(f"{info.get('min')}..{info.get('max')}")
            detail = f" [{'; '.join(extra)}]" if extra else ""
            print(f"    {param.name}: {info['type']} = {json.dumps(param.default)}{detail}")
    return 0
