using Bimtek.Audit;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await AuditCommand.RunAsync(args, Console.Out, cancel.Token);
