"""Stage 7, render: the notebooks of ``notebooks/`` run by papermill and exported to
self-contained HTML (spec §5), for ``mtqg report``.

- :mod:`.params`: parameters checked before any notebook sees them;
- :mod:`.jobs`: what to render, and whether it is already current (its fingerprint);
- :mod:`.kernel`: one warm kernel per worker process, reset between notebooks;
- :mod:`.execute`: one render: papermill, then the HTML page and the summary workbook;
- :mod:`.batch`: many renders in a process pool, with a progress bar;
- :mod:`.dask_executor`: the same renders on Dask workers (``--executor dask``);
- :mod:`.index`: ``reports/index.html``;
- :mod:`.status`: the state of every period, for ``mtqg periods``.
"""
