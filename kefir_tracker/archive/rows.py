"""New objects written as rows of SQL values prepared before the write transaction.

``bulk_create`` turns each value into SQL inside the transaction, which for an
import of 10,000 batches held the write lock for seconds of Python. Here the
fields prepare every value first (as ``bulk_create`` would), and the transaction
only fills in ids and links and runs one ``executemany`` per table.
"""

from django.db import connection


class PreparedRows:
    """New objects of one model as rows of SQL values, prepared by the fields as
    ``bulk_create`` would, ready to be inserted in one ``executemany``."""

    def __init__(self, model, objects, later):
        self.model, self.objects = model, objects
        self.columns = [f for f in model._meta.concrete_fields if not f.primary_key]
        # Links to objects this import creates, and numbers of batches that have none,
        # are filled in when those have ids and numbers.
        names = [f.name for f in self.columns]
        self.later = [names.index(name) for name in later]
        self.rows = [
            [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in self.columns]
            for obj in objects
        ]

    def take_ids(self):
        """Ids for the new rows, after every id the table has used (inside the write)."""
        if not self.objects:
            return
        table, count = self.model._meta.db_table, len(self.objects)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                    "FROM generate_series(1, %s) ORDER BY 1",
                    [connection.ops.quote_name(table), count],
                )
                ids = [row[0] for row in cursor.fetchall()]
            else:  # SQLite: AUTOINCREMENT never gives an id twice, not even a deleted row's
                cursor.execute(
                    f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 0),"
                    " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                    [table],
                )
                first = cursor.fetchone()[0] + 1
                ids = range(first, first + count)
        for obj, pk in zip(self.objects, ids, strict=True):
            obj.pk = pk

    def insert(self):
        if not self.objects:
            return
        self.take_ids()
        for obj, row in zip(self.objects, self.rows, strict=True):
            for index in self.later:
                field = self.columns[index]
                value = getattr(obj, field.name)
                if field.is_relation:
                    value = None if value is None else value.pk
                row[index] = field.get_db_prep_save(value, connection)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.columns)
        values = ", ".join(["%s"] * (len(self.columns) + 1))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {quote(self.model._meta.db_table)} ({quote(self.model._meta.pk.column)}, {columns}) VALUES ({values})",
                [[obj.pk, *row] for obj, row in zip(self.objects, self.rows, strict=True)],
            )
