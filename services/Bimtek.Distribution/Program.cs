using Bimtek.Distribution.Hosting;

namespace Bimtek.Distribution;

public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddDistributionService();
        var app = builder.Build();
        app.MapDistributionService();
        app.Run();
    }
}
