using Bimtek.Coordinator.Hosting;

namespace Bimtek.Coordinator;

public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddCoordinatorService();
        var app = builder.Build();
        app.MapCoordinatorService();
        app.Run();
    }
}
