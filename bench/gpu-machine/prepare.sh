#!/usr/bin/env bash
# Builds .gpu-bundle/ (git-ignored, ~30 MB): the Node benchmark as one script with its shaders, dawn.node, an
# xz-compressed copy of this machine's node binary, and the Vulkan loader's .deb. Carry it to a Linux x86-64 machine
# with an NVIDIA GPU and run bench/gpu-machine/run.sh there (see README.md beside this file).
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf .gpu-bundle && mkdir -p .gpu-bundle/node_modules/webgpu/dist/linux-x64 .gpu-bundle/debs
npx vite build --ssr bench/gpu-machine/main.ts --outDir .gpu-bundle --emptyOutDir false \
  --config bench/gpu-machine/vite.config.ts
cp node_modules/webgpu/package.json node_modules/webgpu/index.js .gpu-bundle/node_modules/webgpu/
cp node_modules/webgpu/dist/linux-x64/dawn.node .gpu-bundle/node_modules/webgpu/dist/linux-x64/
xz -T2 -9 -c "$(command -v node)" > .gpu-bundle/node.xz
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
mkdir -p /tmp/amd64/partial
apt-get $o update -qq && (cd .gpu-bundle/debs && apt-get $o download -qq libvulkan1)
cp bench/gpu-machine/run.sh .gpu-bundle/
grep -qx '/.gpu-bundle/' .git/info/exclude 2>/dev/null || echo '/.gpu-bundle/' >> .git/info/exclude
du -sh .gpu-bundle
