import * as esbuild from "esbuild";
const r = await esbuild.build({ entryPoints: [process.argv[2]], bundle: true, minify: true, format: "esm", platform: "node", target: "node22", metafile: true, write: false, splitting: false, outdir: "/tmp/x" });
const out = Object.values(r.metafile.outputs)[0];
const byPkg = {};
for (const [f, v] of Object.entries(out.inputs)) { const m = f.match(/node_modules\/((@[^/]+\/)?[^/]+)/); const k = m ? m[1] : f.split("/").slice(0,2).join("/"); byPkg[k] = (byPkg[k]||0) + v.bytesInOutput; }
console.log("total", out.bytes);
console.log(Object.entries(byPkg).sort((a,b)=>b[1]-a[1]).slice(0,25).map(([k,v])=>`${(v/1024).toFixed(1)}KB ${k}`).join("\n"));
