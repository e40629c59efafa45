using Bimtek.Participants.Hosting;

namespace Bimtek.Participants;

public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddParticipantsService();
        var app = builder.Build();
        app.MapParticipantsService();
        app.Run();
    }
}
