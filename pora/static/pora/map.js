// Officer's map of where foreign guests stay: one Leaflet map per `.pora-map` element.
// Plain ES2017, no build step, no inline code (CSP script-src 'self'), and no HTML is
// ever built from the marker data (labels are user data): only textContent is used.
//
// Contract with the server-rendered page:
//   <div class="pora-map" data-markers="ID-OF-JSON-SCRIPT" data-tile-url="" data-tile-attribution=""
//        data-empty-text="..." aria-label="..."></div>
//   <script id="ID-OF-JSON-SCRIPT" type="application/json">[{"lat":…, "lng":…, "label":"…",
//        "count":…, "kind":"kelurahan"|"lodging", "url":"/…"}]</script>   (Django's json_script)
//   leaflet.css + map.css in <head>; leaflet.js then map.js with defer.
(function () {
  "use strict";

  const FALLBACK_CENTER = [-6.13, 106.87]; // Jakarta Utara
  const FALLBACK_ZOOM = 12;
  const SINGLE_MARKER_ZOOM = 15;
  const MAX_FIT_ZOOM = 16;
  const MAX_ZOOM = 18;
  const MIN_RADIUS = 6; // kelurahan circles never get smaller than this
  const MAX_RADIUS = 28; // the kelurahan with the most guests
  const LODGING_RADIUS = 5;
  const STYLE = {
    // Fallback colours; map.css overrides them per colour scheme through the class names.
    kelurahan: { color: "#1d4ed8", fillColor: "#3b82f6", fillOpacity: 0.35, weight: 2 },
    lodging: { color: "#ffffff", fillColor: "#ea580c", fillOpacity: 0.95, weight: 1.5 },
  };

  const maps = new WeakMap(); // element -> L.Map

  function toNumber(value) {
    if (typeof value === "number") return value;
    // DjangoJSONEncoder writes Decimal as a string.
    if (typeof value === "string" && value.trim() !== "") return Number(value);
    return NaN;
  }

  function safeUrl(value) {
    if (typeof value !== "string" || value.trim() === "") return null;
    try {
      const url = new URL(value, document.baseURI);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  let numberFormat = null;
  function formatCount(n) {
    if (!numberFormat) {
      try {
        numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined);
      } catch (e) {
        numberFormat = new Intl.NumberFormat();
      }
    }
    return numberFormat.format(n);
  }

  function normalise(item) {
    if (!item || typeof item !== "object") return null;
    const lat = toNumber(item.lat);
    const lng = toNumber(item.lng);
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
      return null;
    }
    const rawCount = toNumber(item.count);
    const hasCount = Number.isFinite(rawCount);
    const count = hasCount ? Math.max(0, rawCount) : 0;
    const label = item.label === null || item.label === undefined ? "" : String(item.label);
    const countText = hasCount ? formatCount(count) : "";
    let text = label;
    if (countText) text = label ? label + " (" + countText + ")" : countText;
    return {
      lat: lat,
      lng: lng,
      count: count,
      text: text,
      // Anything that is not a kelurahan is drawn as a single place (a lodging).
      kind: item.kind === "kelurahan" ? "kelurahan" : "lodging",
      url: safeUrl(item.url),
    };
  }

  function readMarkers(el) {
    const id = el.getAttribute("data-markers");
    if (!id) return [];
    const node = document.getElementById(id);
    if (!node) {
      console.warn("pora map: no element #" + id + " with the marker data");
      return [];
    }
    let data;
    try {
      data = JSON.parse(node.textContent || "[]");
    } catch (e) {
      console.warn("pora map: the marker data in #" + id + " is not valid JSON", e);
      return [];
    }
    if (!Array.isArray(data)) return [];
    return data.map(normalise).filter(Boolean);
  }

  // The images directory next to the vendored leaflet.js (also when its name is hashed
  // by ManifestStaticFilesStorage: leaflet.0123abcd.js).
  function leafletImagePath() {
    const scripts = document.querySelectorAll("script[src]");
    for (let i = 0; i < scripts.length; i++) {
      const match = /^(.*\/)leaflet(?:\.[0-9a-f]{6,})?\.js(?:[?#].*)?$/.exec(scripts[i].src);
      if (match) return match[1] + "images/";
    }
    return null;
  }

  function popupContent(marker) {
    const box = document.createElement("div");
    box.className = "pora-map__popup";
    if (marker.url) {
      const link = document.createElement("a");
      link.href = marker.url;
      link.textContent = marker.text || marker.url;
      box.appendChild(link);
    } else {
      const strong = document.createElement("strong");
      strong.textContent = marker.text;
      box.appendChild(strong);
    }
    return box;
  }

  function tooltipContent(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  // Circle markers are SVG paths, which Leaflet does not make keyboard-reachable:
  // give each one a tab stop, a name and Enter/Space to open its popup.
  function makeFocusable(layer, marker) {
    const path = layer.getElement && layer.getElement();
    if (!path) return;
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "button");
    path.setAttribute("aria-haspopup", "dialog");
    if (marker.text) path.setAttribute("aria-label", marker.text);
    path.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " " || event.key === "Spacebar") {
        event.preventDefault();
        layer.openPopup();
      }
    });
  }

  function addMarkers(group, markers) {
    const kelurahan = markers.filter(function (m) { return m.kind === "kelurahan"; });
    const lodgings = markers.filter(function (m) { return m.kind !== "kelurahan"; });
    const maxCount = kelurahan.reduce(function (max, m) { return Math.max(max, m.count); }, 0);
    // Biggest circles first, so that smaller ones (and the lodging dots) stay clickable on top.
    kelurahan.sort(function (a, b) { return b.count - a.count; });

    kelurahan.concat(lodgings).forEach(function (marker) {
      const isArea = marker.kind === "kelurahan";
      // Circle area proportional to the count (square-root scale), never below MIN_RADIUS.
      const radius = isArea
        ? Math.max(MIN_RADIUS, maxCount > 0 ? MAX_RADIUS * Math.sqrt(marker.count / maxCount) : MIN_RADIUS)
        : LODGING_RADIUS;
      const layer = L.circleMarker([marker.lat, marker.lng], Object.assign({}, STYLE[marker.kind], {
        radius: radius,
        className: "pora-map__marker pora-map__marker--" + marker.kind,
      }));
      if (marker.text) {
        layer.bindTooltip(tooltipContent(marker.text), isArea
          ? { permanent: true, direction: "right", offset: [radius + 2, 0], opacity: 1,
              className: "pora-map__label pora-map__label--kelurahan" }
          : { direction: "top", offset: [0, -radius - 2], opacity: 1,
              className: "pora-map__label pora-map__label--lodging" });
      }
      if (marker.text || marker.url) {
        layer.bindPopup(popupContent(marker), { className: "pora-map__popup-wrap" });
      }
      layer.addTo(group);
      makeFocusable(layer, marker);
    });
  }

  function fitView(el, map, markers) {
    if (!markers.length) {
      map.setView(FALLBACK_CENTER, FALLBACK_ZOOM);
      return;
    }
    const bounds = L.latLngBounds(markers.map(function (m) { return [m.lat, m.lng]; }));
    if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
      map.setView(bounds.getCenter(), SINGLE_MARKER_ZOOM);
      return;
    }
    // Room on the right for the permanent labels, within reason on a narrow screen.
    const hasLabels = markers.some(function (m) { return m.kind === "kelurahan" && m.text; });
    const right = hasLabels ? Math.min(110, Math.round(el.clientWidth / 6)) : 36;
    map.fitBounds(bounds, {
      paddingTopLeft: [36, 36],
      paddingBottomRight: [Math.max(36, right), 36],
      maxZoom: MAX_FIT_ZOOM,
    });
  }

  function initMap(el) {
    if (maps.has(el) || el._leaflet_id) return maps.get(el);
    const markers = readMarkers(el);
    const tileUrl = (el.getAttribute("data-tile-url") || "").trim();
    const reduceMotion = !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);

    const map = L.map(el, {
      maxZoom: MAX_ZOOM,
      // Without tiles nothing gets blurry between zoom levels: fit the markers closely.
      zoomSnap: tileUrl ? 1 : 0.25,
      zoomDelta: tileUrl ? 1 : 0.5,
      zoomAnimation: !reduceMotion,
      fadeAnimation: !reduceMotion,
      markerZoomAnimation: !reduceMotion,
    });
    maps.set(el, map);
    if (!el.hasAttribute("role") && el.hasAttribute("aria-label")) el.setAttribute("role", "region");

    if (tileUrl) {
      el.classList.add("pora-map--tiles");
      // The attribution is trusted configuration: Leaflet renders it as HTML.
      L.tileLayer(tileUrl, {
        attribution: el.getAttribute("data-tile-attribution") || "",
        maxZoom: MAX_ZOOM,
      }).addTo(map);
    } else {
      el.classList.add("pora-map--plain"); // no tiles at all: offline-first, plain background
    }
    L.control.scale({ imperial: false }).addTo(map);

    const hasSize = el.clientWidth > 0 && el.clientHeight > 0;
    if (hasSize) fitView(el, map, markers);
    else map.setView(FALLBACK_CENTER, FALLBACK_ZOOM); // hidden for now: fit once it shows
    let fitted = hasSize;
    const group = L.featureGroup().addTo(map);
    addMarkers(group, markers);

    if (!markers.length) {
      el.classList.add("pora-map--empty");
      const emptyText = el.getAttribute("data-empty-text");
      if (emptyText) {
        const overlay = L.DomUtil.create("div", "pora-map__empty", el);
        overlay.textContent = emptyText;
      }
    }

    // A popup opened from the keyboard (or a click) puts focus on its link; Escape closes
    // it and returns focus to the marker (Leaflet's own Escape only works when the map
    // container itself has focus).
    let opened = null; // the marker whose popup is open
    group.on("popupopen", function (event) {
      opened = event.propagatedFrom || null;
      const box = event.popup.getElement();
      const link = box && box.querySelector(".pora-map__popup a");
      if (link) link.focus({ preventScroll: true });
    });
    group.on("popupclose", function () { opened = null; });
    el.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !opened) return;
      const path = opened.getElement && opened.getElement();
      map.closePopup();
      if (path) path.focus({ preventScroll: true });
    });

    if (typeof ResizeObserver === "function") {
      new ResizeObserver(function () {
        if (!el.isConnected) return;
        map.invalidateSize();
        if (!fitted && el.clientWidth > 0 && el.clientHeight > 0) {
          fitted = true;
          fitView(el, map, markers);
        }
      }).observe(el);
    }
    return map;
  }

  function initWithin(root) {
    if (typeof L === "undefined") {
      console.warn("pora map: leaflet.js is not loaded (include it before map.js)");
      return;
    }
    const imagePath = leafletImagePath();
    if (imagePath) L.Icon.Default.imagePath = imagePath;
    const elements = [];
    if (root.matches && root.matches(".pora-map")) elements.push(root);
    if (root.querySelectorAll) elements.push.apply(elements, root.querySelectorAll(".pora-map"));
    elements.forEach(function (el) {
      try {
        initMap(el);
      } catch (e) {
        console.error("pora map: could not draw the map", e);
      }
    });
  }

  // For pages and tests: PoraMap.init(element) draws maps inside it; PoraMap.get(el) -> L.Map.
  window.PoraMap = {
    init: function (root) { initWithin(root || document); },
    get: function (el) { return maps.get(el); },
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initWithin(document); });
  } else {
    initWithin(document);
  }
  // Maps that htmx swaps into the page; and free them when htmx removes them.
  document.addEventListener("htmx:load", function (event) { initWithin(event.target); });
  document.addEventListener("htmx:beforeCleanupElement", function (event) {
    const map = maps.get(event.target);
    if (map) {
      map.remove();
      maps.delete(event.target);
    }
  });
})();
