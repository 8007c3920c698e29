"""No import circles between files (HOUSE-STYLE, "Between apps").

import-linter's contracts in pyproject.toml keep the apps' imports running one way; this test
keeps each file's imports running one way too: no module imports another that imports it back,
however long the loop. import-linter's `acyclic_siblings` contract is not used because it
treats a package as one node: `reviews.services.reports` queueing `reviews.tasks`, whose task
calls `reviews.services.clock`, would count as a circle between `services` and `tasks`, yet no
file there comes back to itself, and services queueing tasks that call services is the house
pattern.
"""

from itertools import pairwise

import grimp

PACKAGES = ("scr", "agencies", "reviews", "families", "publication", "demo")


def _strongly_connected(graph: grimp.ImportGraph) -> list[list[str]]:
    """Tarjan's algorithm: each group of modules that can reach each other through imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def _describe(graph: grimp.ImportGraph, group: list[str]) -> str:
    """One loop through the group, with the line of each import, e.g. `a (l.3) -> b -> a`."""
    start = group[0]
    members = set(group)
    # The shortest way back to `start` through one of its own imports inside the group.
    loops = [
        graph.find_shortest_chain(importer=imported, imported=start)
        for imported in graph.find_modules_directly_imported_by(start) & members
    ]
    loop = min((chain for chain in loops if chain), key=len)
    path = (start, *loop)
    steps = []
    for importer, imported in pairwise(path):
        details = graph.get_import_details(importer=importer, imported=imported)
        lines = ", ".join(f"l.{detail['line_number']}" for detail in details)
        steps.append(f"{importer} ({lines})")
    steps.append(path[-1])
    others = sorted(members - set(path))
    also = f"\n    (other loops also take in {', '.join(others)})" if others else ""
    return " -> ".join(steps) + also


def test_no_module_imports_a_module_that_imports_it_back():
    # Imports under `if TYPE_CHECKING:` never run, so they close no circle.
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True, cache_dir=None)
    circles = [group for group in _strongly_connected(graph) if len(group) > 1]
    assert not circles, "Import circles between files:\n" + "\n".join(
        f"  {_describe(graph, group)}" for group in circles
    )
