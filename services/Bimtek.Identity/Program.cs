using Bimtek.Identity.Hosting;

namespace Bimtek.Identity;

public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddIdentityService();
        var app = builder.Build();
        app.MapIdentityService();
        app.Run();
    }
}
