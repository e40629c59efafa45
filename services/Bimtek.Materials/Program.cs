using Bimtek.Materials.Hosting;

namespace Bimtek.Materials;

public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddMaterialsService();
        var app = builder.Build();
        app.MapMaterialsService();
        app.Run();
    }
}
