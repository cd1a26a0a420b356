#!/usr/bin/env python3
"""bre_client, cell by cell: connect to bre-server, put the demo dataset, run the standard
pipeline, get the BRE partition as a DataFrame and print the region sizes.

Run it whole (python3 examples/python_client/example.py) or cell by cell (`# %%`) in an
editor or notebook. It needs the bre_client package: `cmake --install build`, or
PYTHONPATH=build/python for the build tree. BRE_SERVER names the server (HOST:PORT),
BRE_DATASET the dataset file (`build/bin/bre dataset demo demo.pb` writes the demo).
"""

# %% Connect. A server on loopback serves plain text; give tls= and token= for one
# started with --tls-cert and --token-file.
import os
from collections import Counter

from bre_client import Client

here = os.path.dirname(os.path.abspath(__file__))
client = Client(os.environ.get("BRE_SERVER", "127.0.0.1:50051"))

# %% Put the demo dataset. Its id is its SHA-256; putting it again changes nothing.
dataset_id = client.put_dataset(os.environ.get("BRE_DATASET", "demo.pb"))
print("dataset", dataset_id)

# %% Run the standard pipeline and watch its steps as the server runs them.
run_id = client.run(os.path.join(here, "..", "pipelines", "standard.json"), dataset=dataset_id, seed=7)
for event in client.watch(run_id):
    print(event)

# %% Get the run. Its result comes in chunks, so its size is not limited.
run = client.get(run_id)
print(run)

# %% The BRE partition: a DataFrame with a row per municipality (a list of dicts
# without pandas).
bre = run.partition("bre")

# %% Region sizes: municipalities per BRE.
if isinstance(bre, list):
    sizes = Counter((row["region_id"], row["region_name"]) for row in bre)
    for (region_id, name), size in sorted(sizes.items()):
        print(f"{region_id}  {size:3d}  {name}")
else:
    print(bre.groupby(["region_id", "region_name"]).size().rename("municipalities").to_string())
