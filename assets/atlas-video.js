/* The video export: the growth of the current view, a year a second (or the chosen speed), recorded
   in the browser. The server sends one map a year (callbacks/exports.py); each is drawn at 1920x1080
   with the app's font inside the drawing, like the PNG export, and the frames are played onto a canvas
   that a MediaRecorder records as MP4 (H.264) where the browser can, else WebM. Nothing leaves the
   machine. Recording runs in real time: the video takes as long to make as it lasts. */
(function () {
  "use strict";
  var WIDTH = 1920;
  var HEIGHT = 1080;
  var FRAMES_PER_SECOND = 30;
  var BITS_PER_SECOND = 8000000;
  // A milestone's caption stays this long, whatever the speed, so that it can be read; the last year
  // stays on screen as long at the end.
  var CAPTION_SECONDS = 2;
  var END_SECONDS = 2;
  var TYPES = ["video/mp4;codecs=avc1.640028", "video/mp4", "video/webm;codecs=vp9", "video/webm"];

  function setProps(id, props) {
    window.dash_clientside.set_props(id, props);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? values[key] : whole;
    });
  }

  function wait(milliseconds) {
    return new Promise(function (resolve) { setTimeout(resolve, Math.max(0, milliseconds)); });
  }

  function captionAt(frames, index, speed) {
    for (var earlier = index; earlier >= 0 && (index - earlier) / speed < CAPTION_SECONDS; earlier -= 1) {
      if (frames[earlier].caption) {
        return frames[earlier].caption;
      }
    }
    return "";
  }

  // The frame's map with the year large in a corner and the caption of a milestone just passed.
  function frameLayout(payload, index) {
    var frame = payload.frames[index];
    var layout = JSON.parse(JSON.stringify(frame.figure.layout));
    var caption = captionAt(payload.frames, index, payload.speed);
    layout.width = WIDTH;
    layout.height = HEIGHT;
    // Under the map: the decades, then the source line (in a bottom margin made wider for it),
    // then the key of the links at the foot of the frame.
    layout.margin = Object.assign({}, layout.margin, { b: layout.margin.b + 30 });
    layout.annotations = (layout.annotations || []).map(function (note) {
      return Object.assign({}, note, { yshift: -56 });
    }).concat([{
      text: String(frame.year), showarrow: false, xref: "paper", yref: "paper", x: 0.99, y: 0.97,
      xanchor: "right", yanchor: "top", font: { size: 110, color: payload.yearColour }
    }]);
    if (caption) {
      layout.annotations.push({
        text: caption, showarrow: false, xref: "paper", yref: "paper", x: 0.01, y: 0.97,
        xanchor: "left", yanchor: "top", align: "left", font: { size: 32, color: "#1b1f24" },
        bgcolor: "rgba(255, 255, 255, 0.93)", bordercolor: payload.yearColour, borderwidth: 3, borderpad: 14
      });
    }
    return layout;
  }

  async function drawFrames(payload, words) {
    var drawing = window.atlasDrawing;
    var graph = document.querySelector("#map .js-plotly-plot");
    var config = { topojsonURL: graph ? graph._context.topojsonURL : "", staticPlot: true };
    var holder = document.createElement("div");
    holder.style.cssText = "position:fixed;left:-30000px;top:0;width:1920px;height:1080px;";
    document.body.appendChild(holder);
    var images = [];
    try {
      var fonts = await drawing.fontFaces();
      for (var index = 0; index < payload.frames.length; index += 1) {
        setProps("video-progress", { children: fill(words.video_drawing, { done: index + 1, total: payload.frames.length }) });
        var frame = payload.frames[index];
        await window.Plotly.react(holder, frame.figure.data, frameLayout(payload, index), config);
        var svg = drawing.svgText(await window.Plotly.toImage(holder, { format: "svg", width: WIDTH, height: HEIGHT }));
        images.push(await drawing.rasterize(drawing.withStyle(svg, fonts), WIDTH, HEIGHT, 1));
      }
    } finally {
      window.Plotly.purge(holder);
      holder.remove();
    }
    return images;
  }

  // Frames are kept as PNG files and decoded one ahead: 40 decoded 1080p frames would hold 330 MB.
  async function recordFrames(images, payload, words, type) {
    var canvas = document.createElement("canvas");
    canvas.width = WIDTH;
    canvas.height = HEIGHT;
    var context = canvas.getContext("2d");
    var recorder = new MediaRecorder(canvas.captureStream(FRAMES_PER_SECOND), {
      mimeType: type, videoBitsPerSecond: BITS_PER_SECOND
    });
    var chunks = [];
    recorder.ondataavailable = function (event) {
      if (event.data.size) { chunks.push(event.data); }
    };
    var stopped = new Promise(function (resolve) { recorder.onstop = resolve; });
    var shown = await createImageBitmap(images[0]);
    // A canvas that does not change sends no frames: it is drawn again at the frame rate, so that
    // every year lasts its full time in the file.
    var ticker = setInterval(function () { context.drawImage(shown, 0, 0); }, 1000 / FRAMES_PER_SECOND);
    context.drawImage(shown, 0, 0);
    var perFrame = 1000 / payload.speed;
    var seconds = Math.ceil(images.length / payload.speed + END_SECONDS);
    recorder.start(1000);
    var started = performance.now();
    try {
      for (var index = 0; index < images.length; index += 1) {
        var next = index + 1 < images.length ? createImageBitmap(images[index + 1]) : null;
        setProps("video-progress", {
          children: fill(words.video_recording, { done: Math.floor(index / payload.speed) + 1, total: seconds })
        });
        var last = index + 1 === images.length;
        await wait(started + (index + 1) * perFrame + (last ? END_SECONDS * 1000 : 0) - performance.now());
        if (next) {
          var previous = shown;
          shown = await next;
          context.drawImage(shown, 0, 0);
          previous.close();
        }
      }
    } finally {
      clearInterval(ticker);
      recorder.stop();
    }
    await stopped;
    return new Blob(chunks, { type: recorder.mimeType || type });
  }

  async function exportVideo(payload) {
    var words = payload.words;
    var type = TYPES.find(function (candidate) {
      return window.MediaRecorder && MediaRecorder.isTypeSupported(candidate);
    });
    if (!type || !payload.frames.length) {
      setProps("video-progress", { children: words.video_unsupported });
      return;
    }
    setProps("export-video", { disabled: true });
    try {
      var images = await drawFrames(payload, words);
      var video = await recordFrames(images, payload, words, type);
      var file = payload.file + (type.indexOf("video/mp4") === 0 ? ".mp4" : ".webm");
      window.atlasDrawing.save(video, file);
      setProps("video-progress", {
        children: fill(words.video_saved, { file: file, size: (video.size / 1e6).toFixed(1) })
      });
    } finally {
      setProps("export-video", { disabled: false });
    }
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    atlasVideo: {
      record: function (payload) {
        if (payload && payload.frames) {
          exportVideo(payload).catch(function (error) {
            setProps("video-progress", { children: String(error) });
            setProps("export-video", { disabled: false });
          });
        }
        return window.dash_clientside.no_update;
      }
    }
  });
})();
