using Bimtek.Gateway.Hosting;

namespace Bimtek.Gateway;

public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddGateway();
        var app = builder.Build();
        app.MapGateway();
        app.Run();
    }
}
