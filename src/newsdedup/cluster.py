"""Group verified copies into clusters without chaining.

Connected components would let A~B~C join A and C though they share nothing. Instead
each cluster is a star: a centre and the articles verified as copies of that centre.
The centre is the article with the most verified copies left (then the larger total
similarity, then the smaller index, so the result is deterministic).
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from .models import Match


def _components(count: int, matches: list[Match]) -> list[list[int]]:
    parent = list(range(count))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for match in matches:
        a, b = root(match.left), root(match.right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = defaultdict(list)
    for node in range(count):
        groups[root(node)].append(node)
    return list(groups.values())


def star_clusters(count: int, matches: list[Match], near_equal: float = 0.5) -> list[list[int]]:
    """Partition ``range(count)`` into clusters; each list starts with its centre.

    A centre that merely contains several unrelated shorter texts (a digest, a
    round-up) keeps only the closest of them: the others are separate stories.
    A member stays with the centre when it is near-equal to it (similarity at least
    ``near_equal``) or a copy of another member too.
    """
    neighbours: dict[int, dict[int, float]] = defaultdict(dict)
    for match in matches:
        neighbours[match.left][match.right] = match.similarity
        neighbours[match.right][match.left] = match.similarity

    clusters: list[list[int]] = []
    for component in _components(count, matches):
        remaining = set(component)

        def strength(node: int) -> tuple[int, float, int]:
            links = [similarity for other, similarity in neighbours[node].items() if other in remaining]
            return (len(links), round(sum(links), 9), -node)

        # A heap of strengths, refreshed lazily: a node's strength only falls as others leave,
        # so the first popped entry that is still current is the strongest node. Finding each
        # centre by scanning the whole component made large components quadratic.
        heap = [_heap_key(strength(node)) for node in component]
        heapq.heapify(heap)
        while remaining:
            while True:
                key = heapq.heappop(heap)
                node = key[2]
                if node not in remaining:
                    continue
                current = _heap_key(strength(node))
                if current == key:
                    break
                heapq.heappush(heap, current)
            centre = node
            linked = [other for other in neighbours[centre] if other in remaining]
            members = sorted(
                other for other in linked
                if neighbours[centre][other] >= near_equal
                or any(peer in neighbours[other] for peer in linked if peer != other)
            )
            if linked and not members:
                members = [max(linked, key=lambda other: (neighbours[centre][other], -other))]
            clusters.append([centre, *members])
            remaining.difference_update([centre, *members])
    return clusters


def _heap_key(strength: tuple[int, float, int]) -> tuple[int, float, int]:
    """Smallest first for heapq: most links, then the larger total similarity, then the smaller index."""
    links, total, negative_node = strength
    return (-links, -total, -negative_node)
