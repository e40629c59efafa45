// One suite of six processes at a time on a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
