using Bimtek.Production.Hosting;

namespace Bimtek.Production;

public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddProductionService();
        var app = builder.Build();
        app.MapProductionService();
        app.Run();
    }
}
