# One image recipe for every service of the suite (build context: the repository root).
#   docker build -f deploy/docker/service.Dockerfile \
#     --build-arg PROJECT=services/Bimtek.Participants/Bimtek.Participants.csproj \
#     --build-arg ASSEMBLY=Bimtek.Participants -t bimtek/participants .
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG PROJECT
WORKDIR /src
# Restore first, from the files that decide it, so code changes reuse the restore layer.
COPY global.json nuget.config Directory.Build.props Directory.Packages.props .editorconfig ./
COPY protos/ protos/
COPY services/ services/
COPY gateway/ gateway/
RUN dotnet restore "${PROJECT}"
RUN dotnet publish "${PROJECT}" -c Release --no-restore -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
ARG ASSEMBLY
# DejaVu fonts: the distribution service draws the handover document (PDFsharp needs a real font).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /data && chown app:app /data
ENV ASSEMBLY=${ASSEMBLY} \
    Database__DataDirectory=/data \
    DOTNET_gcServer=0
USER app
VOLUME ["/data"]
ENTRYPOINT ["sh", "-c", "exec dotnet \"$ASSEMBLY.dll\""]
