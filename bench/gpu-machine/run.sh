#!/usr/bin/env bash
# Runs on the GPU machine, from the repository root, with .gpu-bundle carried: unpacks node and the Vulkan loader,
# points Dawn at the NVIDIA Vulkan driver, runs the benchmark. Results: $OUT/gpu-bench.json (or ./gpu-bench.json).
set -euo pipefail
cd .gpu-bundle
for f in debs/*.deb; do dpkg -x "$f" /; done; ldconfig
xz -dc node.xz > /tmp/node && chmod +x /tmp/node
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -e "$icd" ]; then export VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd"; break; fi
done
nvidia-smi --query-gpu=name,clocks.max.sm --format=csv,noheader || true
BENCH_OUT="${OUT:-.}/gpu-bench.json" /tmp/node main.js "$@"
