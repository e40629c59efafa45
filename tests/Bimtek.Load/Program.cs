namespace Bimtek.Load;

/// <summary>Load generator and benchmarks (issue 10); filled in next.</summary>
public static class Program
{
    public static int Main() => 0;
}
