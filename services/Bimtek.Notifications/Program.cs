using Bimtek.Notifications.Hosting;

namespace Bimtek.Notifications;

public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddNotificationsService();
        var app = builder.Build();
        app.MapNotificationsService();
        app.Run();
    }
}
