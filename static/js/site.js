// Each cluster card's brand colour, from its data attribute: no style attribute in the page,
// which the Content-Security-Policy would refuse; setting it from a script is allowed.
document.querySelectorAll("[data-cluster-colour]").forEach((card) => {
  card.style.setProperty("--cluster-colour", card.dataset.clusterColour);
});
