// One suite of seven processes at a time on a 2-core machine, and faults that must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
