// One suite of six processes and one browser at a time on a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
