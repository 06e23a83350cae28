"""Sentence-level extraction as Spark expressions, one module per concern.

sentences (text units -> sentences), compensation (money), experience (years), roles (role and
skill counts), transitions (career moves) and guides (role guides). Every regex runs inside the
JVM; there is no Python UDF on this path.
"""
