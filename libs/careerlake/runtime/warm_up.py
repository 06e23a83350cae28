"""Record the local Spark JVM's class archive right after install, so the first run starts fast too.

`make` runs `python -m careerlake.runtime.warm_up` each time it installs the virtualenv. One
local session on a throwaway lakehouse runs the kinds of statement a job runs (create a Delta
table, MERGE into it, aggregate it) and its JVM records the archive as it exits (see
`careerlake.runtime.class_archive`). Nothing happens when the archive of these jars and this JDK
exists (another clone may have recorded it), or when the JDK cannot record one.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile

from careerlake.runtime.class_archive import can_record
from careerlake.runtime.config import load_config
from careerlake.runtime.jars import install_local_jars
from careerlake.runtime.java import use_supported_java
from careerlake.runtime.session import class_archive, get_spark, local_java

STATEMENTS = (
    "CREATE TABLE default.warm_up (id INT NOT NULL, name STRING) USING delta",
    "MERGE INTO default.warm_up AS t USING (SELECT 1 AS id, 'a' AS name) AS s ON t.id = s.id "
    "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *",
    "SELECT name, count(*) FROM default.warm_up GROUP BY name",
)


def main() -> None:
    use_supported_java()
    install_local_jars()
    if class_archive().is_file() or not can_record(local_java()):
        return
    print("warming up: one local Spark session records its class archive (about a minute, once per machine)")
    lakehouse = tempfile.mkdtemp(prefix="careerlake-warm-up-")
    # Registered first, so it runs last: after the session's JVM has exited and kept the archive.
    atexit.register(shutil.rmtree, lakehouse, True)
    spark = get_spark(load_config("local", lakehouse=lakehouse), app_name="careerlake-warm-up")
    for statement in STATEMENTS:
        spark.sql(statement).collect()


if __name__ == "__main__":
    main()
