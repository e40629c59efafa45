using System.Text;
using Xunit.Abstractions;

namespace Bimtek.Suite;

/// <summary>A TextWriter that hands whole lines to xunit's test output (and keeps them for failure messages).</summary>
public sealed class TestOutputWriter(ITestOutputHelper output) : TextWriter
{
    private readonly StringBuilder _line = new();
    private readonly StringBuilder _all = new();
    private readonly Lock _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Everything
    {
        get
        {
            lock (_gate)
            {
                return _all.ToString();
            }
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                var line = _line.ToString().TrimEnd('\r');
                _line.Clear();
                _all.AppendLine(line);
                try
                {
                    output.WriteLine(line);
                }
                catch (InvalidOperationException)
                {
                    // The test has finished; the line is still in Everything.
                }
            }
            else
            {
                _line.Append(value);
            }
        }
    }
}
