#!/usr/bin/python3
"""Times python3-leidenalg (Debian) on a bre edge file, for tools/bench/run.sh.

Usage: leidenalg_bench.py EDGE_FILE [SEED] [RESOLUTION]
Prints: leidenalg,seconds,modularity,communities  (clustering only, not loading).
Modularity at RESOLUTION via RBConfigurationVertexPartition (Newman-Girvan modularity
with a resolution, the objective bre's native Leiden maximises), iterated until an
iteration changes nothing (n_iterations=-1), as the native and igraph runs are.
Edge file: "BREEDGE1", u64 nodes, u64 edges, then u32 u, u32 v, f64 weight per edge.
"""
import sys
import time

import igraph
import leidenalg
import numpy


def read_edges(path):
    with open(path, "rb") as f:
        if f.read(8) != b"BREEDGE1":
            raise SystemExit(f"{path}: expected an edge file starting with BREEDGE1")
        nodes, edges = numpy.frombuffer(f.read(16), dtype="<u8")
        records = numpy.fromfile(f, dtype=numpy.dtype([("u", "<u4"), ("v", "<u4"), ("w", "<f8")]), count=int(edges))
    graph = igraph.Graph(n=int(nodes), edges=numpy.column_stack((records["u"], records["v"])).tolist())
    graph.es["weight"] = records["w"].tolist()
    return graph


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    graph = read_edges(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    resolution = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    start = time.perf_counter()
    partition = leidenalg.find_partition(graph, leidenalg.RBConfigurationVertexPartition, weights="weight",
                                         resolution_parameter=resolution, n_iterations=-1,
                                         seed=seed % (2**31))
    elapsed = time.perf_counter() - start
    modularity = graph.modularity(partition.membership, weights="weight", resolution=resolution)
    print(f"leidenalg,{elapsed:.6f},{modularity:.6f},{len(partition)}")


if __name__ == "__main__":
    main()
