# One image recipe for every service of the suite (build context: the repository root).
#   docker build -f deploy/docker/service.Dockerfile \
#     --build-arg PROJECT=services/Bimtek.Participants/Bimtek.Participants.csproj \
#     --build-arg ASSEMBLY=Bimtek.Participants -t bimtek/participants .
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY global.json nuget.config Directory.Build.props Directory.Packages.props .editorconfig ./
COPY protos/ protos/
COPY services/ services/
COPY gateway/ gateway/
# Every runnable project (the web projects under services/ and gateway/) is restored and built once, in layers
# that do not depend on PROJECT: compose builds one image per service, and all of them reuse these layers
# instead of compiling the shared libraries and contracts once per image. The NuGet packages live in a build
# cache, so a rebuild after a code change restores from it instead of downloading every package again.
RUN --mount=type=cache,id=bimtek-nuget,target=/root/.nuget/packages,sharing=locked \
    dotnet new sln --format sln --name Deploy --output /src >/dev/null \
 && dotnet sln /src/Deploy.sln add $(grep -l 'Sdk="Microsoft.NET.Sdk.Web"' services/*/*.csproj gateway/*/*.csproj) >/dev/null \
 && dotnet restore /src/Deploy.sln \
 && dotnet build /src/Deploy.sln -c Release --no-restore --disable-build-servers /p:UseAppHost=false
ARG PROJECT
RUN --mount=type=cache,id=bimtek-nuget,target=/root/.nuget/packages,sharing=locked \
    dotnet publish "${PROJECT}" -c Release --no-build -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
# DejaVu fonts: the distribution service draws the handover document (PDFsharp needs a real font).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# /data holds the embedded SQLite database when no PostgreSQL is configured (mount a volume there to keep it).
# No VOLUME instruction: under compose every service uses PostgreSQL, and an anonymous volume per container
# would only pile up unused.
RUN mkdir -p /data && chown app:app /data
# Declared here, after the package layer, so that layer is shared by every service's image.
ARG ASSEMBLY
COPY --from=build /app ./
ENV ASSEMBLY=${ASSEMBLY} \
    Database__DataDirectory=/data \
    DOTNET_gcServer=0
USER app
ENTRYPOINT ["sh", "-c", "exec dotnet \"$ASSEMBLY.dll\""]
