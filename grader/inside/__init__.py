"""Code that runs inside the sandbox, on the untrusted side of the trust boundary.

Its modules are copied into every sandbox as plain files (``worker.py``, ``protocol.py``, ``wire.py``,
``boot.py``) and import each other as siblings there, so they may use only the standard library and
numpy/torch, never the rest of ``grader`` (tests/test_layout.py enforces it). The trusted side imports
``protocol`` and ``wire`` from here to speak the same format; nothing here decides a verdict.
"""

FILES = ("worker.py", "protocol.py", "wire.py", "boot.py", "zygote.py", "importer.py")
