// One suite of six processes at a time on a 2-core machine: the SQLite and PostgreSQL suites run one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
